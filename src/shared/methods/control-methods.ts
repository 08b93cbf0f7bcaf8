import { z } from 'zod';

/** The edge detector takes no parameters: it never looks at the model. */
export const EdgeDetectorParams = z.object({}).strict().describe('No parameters: the map is computed from the image alone.');
