/** What the preflight knows of the machine when it considers installing packages itself. */
export interface InstallContext {
  env: NodeJS.ProcessEnv;
  /** The user id it runs as; undefined where there is none (Windows). */
  uid: number | undefined;
  /** apt-get on PATH, if any. */
  aptGet: string | undefined;
}

/** The apt-get the preflight may install with, or why it may not install anything. */
export type Installer = { aptGet: string } | { blocker: string };

/**
 * Whether the preflight may install missing packages itself: only as root with apt-get, and
 * not when `PREFLIGHT_INSTALL=0` turns that off.
 *
 * @example
 * installer({ env: {}, uid: 1000, aptGet: "/usr/bin/apt-get" });
 * // { blocker: "Not installing packages here: that needs root, and this runs as user 1000." }
 */
export function installer({ env, uid, aptGet }: InstallContext): Installer {
  if (env.PREFLIGHT_INSTALL === "0")
    return { blocker: "Not installing packages here: PREFLIGHT_INSTALL=0." };
  if (uid !== 0) {
    const who = uid === undefined ? "no user id" : `user ${uid}`;
    return { blocker: `Not installing packages here: that needs root, and this runs as ${who}.` };
  }
  if (aptGet === undefined)
    return { blocker: "Not installing packages here: apt-get is not on PATH." };
  return { aptGet };
}

/**
 * The user id to decide by: `PREFLIGHT_UID` when set, which is how the tests stand in for a
 * user without root (or for root) whoever runs them, else the process's own.
 */
export function currentUid(env: NodeJS.ProcessEnv): number | undefined {
  const override = env.PREFLIGHT_UID;
  if (override !== undefined && /^\d+$/.test(override)) return Number(override);
  return process.getuid?.();
}
