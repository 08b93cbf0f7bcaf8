import type { Command } from '../command';
import { attributeCommand } from './attribute';
import { classifyCommand } from './classify';
import { infoCommand } from './info';
import { layersCommand } from './layers';
import { methodsCommand } from './methods';
import { serveCommand } from './serve';

export const commands: Command[] = [classifyCommand, attributeCommand, methodsCommand, layersCommand, infoCommand, serveCommand] as Command[];
