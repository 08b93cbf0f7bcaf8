import { z } from 'zod';
import { methodCatalogue } from '../../../shared/methods/catalogue';

/** The catalogue for clients, parameter schemas as JSON Schema (the UI builds forms from them). */
export function describeMethods(): Array<{
  id: string;
  family: string;
  label: string;
  summary: string;
  output: 'pixel' | 'map';
  stochastic: boolean;
  reference: string;
  params: Record<string, unknown>;
}> {
  return methodCatalogue.map(({ params, ...entry }) => ({ ...entry, params: z.toJSONSchema(params, { io: 'input' }) as Record<string, unknown> }));
}
