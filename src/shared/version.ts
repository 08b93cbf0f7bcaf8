/** Lumen's version; a unit test keeps it equal to package.json's. Recorded in every result. */
export const lumenVersion = '0.1.0';
