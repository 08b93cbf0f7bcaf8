/** What the workstation says when it comes back to where the user was before a reload. */
export const sessionText = {
  restoring: 'Reopening where you were…',
  projectGone: (path: string, why: string) => `The last project (${path}) could not be reopened: ${why} Open it again from Start.`,
  modelGone: (fileName: string) => `The model ${fileName} you added is no longer open in the engine: add it again on the Models screen (the bundled model is in use).`,
  fileImage: (name: string) => `${name} was opened from a file, which a reloaded page cannot read again: open it once more (quick look on Start).`,
  imageGone: (name: string, why: string) => `The last image (${name}) could not be reopened: ${why}`,
};
