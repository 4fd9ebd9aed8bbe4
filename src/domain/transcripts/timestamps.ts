// Turning offsets from an imported file into wall-clock ISO 8601 timestamps.
import { AppError } from '../errors.js';

/**
 * Adds each segment's `startMs` to `startTime`. Segments without an offset get a null timestamp
 * (the transcript order still holds; inventing a time would be a lie).
 */
export function toIsoTimestamps<T extends { startMs: number | null }>(
  segments: readonly T[],
  startTime: Date,
): Array<T & { timestamp: string | null }> {
  const base = startTime instanceof Date ? startTime.getTime() : Number.NaN;
  if (!Number.isFinite(base)) {
    throw new AppError('validation_error', 'startTime is not a valid date', { details: { startTime: 'Must be an ISO 8601 date-time' } });
  }
  return segments.map((segment) => {
    const offset = segment.startMs;
    if (offset === null || !Number.isFinite(offset)) return { ...segment, timestamp: null };
    const at = base + offset;
    // Date only covers ±8.64e15 ms; an absurd offset becomes "no timestamp" rather than a RangeError.
    return { ...segment, timestamp: Math.abs(at) <= 8.64e15 ? new Date(at).toISOString() : null };
  });
}
