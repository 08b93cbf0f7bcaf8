import type { Command } from '../command';
import { classifyCommand } from './classify';
import { infoCommand } from './info';
import { serveCommand } from './serve';

export const commands: Command[] = [classifyCommand, infoCommand, serveCommand] as Command[];
