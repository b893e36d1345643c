/** Text cut to a varchar's length (100 for log and username columns), marked with an ellipsis. */
export const clip = (text: string, max = 100) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
