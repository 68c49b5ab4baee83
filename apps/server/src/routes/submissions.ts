import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../ctx.js';
import { submissionReadRoutes } from './submissions/read.js';
import { submissionDraftRoutes } from './submissions/drafts.js';
import { submissionSubmitRoutes } from './submissions/submit.js';
import { submissionReviewRoutes } from './submissions/review.js';
import { submissionAttachmentRoutes } from './submissions/attachments.js';

/**
 * The submission routes, one concern per file under submissions/: reading (read.ts), drafts
 * (drafts.ts: create and save), submit / withdraw (submit.ts), review and re-scoring (review.ts),
 * attachments (attachments.ts); what they share is in submissions/common.ts.
 */
export async function submissionRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  await submissionReadRoutes(app, ctx);
  await submissionDraftRoutes(app, ctx);
  await submissionSubmitRoutes(app, ctx);
  await submissionReviewRoutes(app, ctx);
  await submissionAttachmentRoutes(app, ctx);
}
