import { isAbsolute } from 'node:path';
import { z } from 'zod';

/**
 * From the process that started the engine to the engine, never from a page: a path the user
 * picked in a native dialog (open or save), which a confined engine then accepts in requests.
 * `read` for a file or folder to open, `write` for a place to save to.
 */
export const AllowPathMessage = z.object({ type: z.literal('allow-path'), path: z.string().min(1).max(4096).refine(isAbsolute, 'must be a full path'), access: z.enum(['read', 'write']) }).strict();
export type AllowPathMessage = z.infer<typeof AllowPathMessage>;
