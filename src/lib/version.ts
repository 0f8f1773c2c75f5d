/** The version of this weft build; `weft version` and the API's /version report it. */
export const WEFT_VERSION = '0.1.0';
