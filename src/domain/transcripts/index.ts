// Public surface of the transcript parsers.
export { parseContent, contentMessageSchema, structuredContentSchema, toContentMessage, zodDetails } from './content.js';
export type { ContentFormat, ContentKind, ContentMessage, ParsedContent, StructuredMessage } from './content.js';
export {
  MAX_CONTENT_BYTES,
  MAX_MESSAGES,
  MAX_MESSAGE_BYTES,
  checkContentLimits,
  checkContentSize,
  checkMessageCount,
  checkMessageSize,
} from './limits.js';
export { detectFormat, parseTranscriptFile } from './detect.js';
export type { TranscriptFileInput } from './detect.js';
export { parseVtt } from './vtt.js';
export { parseSrt } from './srt.js';
export { parseJsonTranscript } from './json-file.js';
export { parseTextTranscript } from './text-file.js';
export { toIsoTimestamps } from './timestamps.js';
export { formatTimecode, parseTimecode } from './timecode.js';
export type { ParsedTranscriptFile, TranscriptFileFormat, TranscriptSegment } from './types.js';
