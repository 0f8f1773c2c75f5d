/** The fortio release whose behaviour and output weft's fortio server and `weft load` follow. */
export const FORTIO_VERSION = '1.69.5';
