import type { App } from '../../types.js';
import { registerListActionItems } from './list.js';
import { registerUpdateActionItem } from './update.js';

export function registerActionItemRoutes(app: App) {
  registerListActionItems(app);
  registerUpdateActionItem(app);
}
