import type { App } from '../types.js';
import { registerListConversations } from './conversations/list.js';
import { registerCreateConversation } from './conversations/create.js';
import { registerImportConversation } from './conversations/import.js';
import { registerGetConversation } from './conversations/get.js';
import { registerUpdateConversation } from './conversations/update.js';
import { registerDeleteConversation } from './conversations/delete.js';
import { registerAppendMessages } from './conversations/append.js';
import { registerGetTranscript } from './conversations/transcript.js';
import { registerSpeakers } from './conversations/speakers.js';
import { registerProfile } from './user/profile.js';
import { registerKeys } from './keys/keys.js';
import { registerWebhookRoutes } from './webhooks/index.js';
import { registerAnalysisRoutes } from './analysis/index.js';
import { registerShareConversation } from './share/share.js';
import { registerCalendarRoutes } from './calendar/index.js';
import { registerSearch } from './search.js';
import { registerActionItemRoutes } from './action-items/index.js';

/** Every authenticated /api/v1 route. Later features add their register functions here. */
export function registerApiRoutes(app: App) {
  registerListConversations(app);
  registerCreateConversation(app);
  registerImportConversation(app);
  registerGetConversation(app);
  registerUpdateConversation(app);
  registerDeleteConversation(app);
  registerAppendMessages(app);
  registerGetTranscript(app);
  registerSpeakers(app);
  registerProfile(app);
  registerKeys(app);
  registerWebhookRoutes(app);
  registerAnalysisRoutes(app);
  registerShareConversation(app);
  registerCalendarRoutes(app);
  registerSearch(app);
  registerActionItemRoutes(app);
}
