export { parseLoadArgs, proxyFromEnv, normalizeUrl, LOAD_DEFAULTS, type LoadOptions } from './options.ts';
export { runLoad, codeIsOk, type LoadIo, type LoadResult } from './runner.ts';
export { runLoadCommand, fortioLoadArgs, LOAD_USAGE } from './command.ts';
