// The library version, checked against each rule pack's `requires` range.
/** This library's version (kept equal to package.json by a test). */
export const VERSION = "0.1.0";
