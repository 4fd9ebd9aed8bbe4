import { publicUrl } from '../../../config.js';
import { ShareService } from '../../../domain/share/service.js';
import type { App } from '../../types.js';

export function shareService(app: App): ShareService {
  const c = app.container;
  return new ShareService(c.db, c.conversations, publicUrl(c.config));
}
