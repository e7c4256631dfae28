import argon2 from 'argon2';
import type { PasswordHasher } from '@civicgrid/core';

/** argon2id with at least the OWASP minimum (m = 19 MiB, t = 2, p = 1). */
export function argon2Hasher(opts: { memoryCost: number; timeCost: number }): PasswordHasher {
  return {
    hash: (password) =>
      argon2.hash(password, {
        type: argon2.argon2id,
        memoryCost: opts.memoryCost,
        timeCost: opts.timeCost,
        parallelism: 1,
      }),
    verify: async (hash, password) => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
  };
}
