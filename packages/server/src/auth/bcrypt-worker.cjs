// The task of a bcrypt thread (auth/bcrypt-threads.ts). Plain CommonJS, so tsx, vitest and the production
// bundle (build.mjs copies it next to dist/main.js) load the same file.
'use strict';
const bcrypt = require('@node-rs/bcrypt');

/** A hash, or whether `password` matches `hash`; a malformed hash is a wrong password (false). */
module.exports = function bcryptTask({ op, password, hash, cost }) {
  if (op === 'hash') return bcrypt.hashSync(password, cost);
  try {
    return bcrypt.verifySync(password, hash);
  } catch {
    return false;
  }
};
