/** The CLI's exit codes (DESIGN.md): scripts depend on them. */
export const EXIT_OK = 0;
/** Invalid input, or a condition not met. */
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;
/** No running instance reachable through the state directory. */
export const EXIT_UNREACHABLE = 3;

/** Thrown by command code to end the run with a code and a message on stderr. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
