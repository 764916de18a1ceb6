/** Long polls that end when their client hangs up (§4.21). */
import type { FastifyReply } from 'fastify';

/** Runs `fn` with a signal that aborts if the client disconnects before the response was written. */
export async function untilClientLeaves<T>(reply: FastifyReply, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  // 'close' before the response finished means the client left.
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort();
  };
  reply.raw.once('close', onClose);
  try {
    return await fn(controller.signal);
  } finally {
    reply.raw.off('close', onClose);
  }
}
