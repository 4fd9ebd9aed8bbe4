import type { App } from '../../types.js';
import { registerKeypoints } from './keypoints.js';
import { registerFeedback } from './feedback.js';
import { registerInsights } from './insights.js';
import { registerQuery, registerQueryAcross } from './query.js';
import { registerEmail } from './email.js';

export function registerAnalysisRoutes(app: App) {
  registerKeypoints(app);
  registerFeedback(app);
  registerInsights(app);
  registerQuery(app);
  registerQueryAcross(app);
  registerEmail(app);
}
