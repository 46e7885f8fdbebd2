import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, setCookie } from "hono/cookie";
import {
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
} from "../../shared/errors/index.ts";
import { sameSecret } from "../../shared/http/bearerAuth.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { EventStore } from "../eventStore/eventStore.ts";
import { dashboardPage, liveFragment, loginPage } from "./dashboardPage.ts";
import { isAdmin, issueSession, sessionCookie, sessionTtlMs } from "./dashboardSession.ts";
import type { DashboardSettings } from "./dashboardSettings.ts";
import { type DashboardState, dashboardView, seqsAwaited } from "./dashboardView.ts";
import { qstashDeadLetters } from "./deadLetters.ts";
import { historySampler } from "./history/historySampler.ts";
import { primarySnapshot } from "./primarySnapshot.ts";
import { readerProbes } from "./readerProbes.ts";

export interface DashboardDeps {
  adminToken: string;
  /** absent: no readers to show, no dead-letter queue */
  settings: DashboardSettings | undefined;
  log: EventStore;
  /** the highest seq QStash has accepted */
  published: () => Promise<number>;
  views: ViewStore & { liveNamespace?: () => string };
  /** stops the history sampler when aborted */
  signal?: AbortSignal;
  now?: () => number;
}

const defaults: DashboardSettings = {
  readerStatusUrls: [],
  timeoutMs: 2_000,
  refreshMs: 2_000,
  qstash: null,
};

const randomNonce = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));

// Operational data: never cached, never framed, never sent on as a referrer.
const pageHeaders = (c: Context, nonce: string | null) => {
  c.header("cache-control", "no-store");
  c.header("referrer-policy", "no-referrer");
  c.header("x-frame-options", "DENY");
  const scripts = nonce ? `'nonce-${nonce}'` : "'none'";
  c.header(
    "content-security-policy",
    `default-src 'none'; script-src ${scripts}; style-src ${scripts}; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
};

/**
 * The replication dashboard on the write API: `GET /dashboard` (the page, or
 * the login form), `POST /dashboard` (log in), `POST /dashboard/logout`,
 * `GET /dashboard/state` (JSON), `GET /dashboard/history` (the charts' lines,
 * JSON) and `GET /dashboard/live` (the page's live part, which the page
 * polls). Every reader's status is fetched server-side. With history
 * settings, a sampler starts here and keeps the last window in memory; its
 * timer never holds the process open, and `signal` stops it.
 *
 * @example
 * dashboardRoutes({ adminToken, settings: config.settings.dashboard, log, published, views })(app);
 */
export const dashboardRoutes = (deps: DashboardDeps) => (app: Hono) => {
  const settings = deps.settings ?? defaults;
  const now = deps.now ?? Date.now;
  const snapshot = primarySnapshot(deps);
  const probeReaders = readerProbes(settings.readerStatusUrls, settings.timeoutMs);
  const sampler = settings.history
    ? historySampler({
        probeReaders,
        head: () => deps.log.head(),
        commitTimes: snapshot.commitTimes,
        now,
        settings: settings.history,
      })
    : null;
  // a shut-down write API samples no more (its timer never held the process, but kept probing)
  if (sampler && !deps.signal?.aborted) {
    sampler.start();
    deps.signal?.addEventListener("abort", () => sampler.stop(), { once: true });
  }
  const history = () => sampler?.history(now()) ?? null;
  const deadLetters = settings.qstash
    ? qstashDeadLetters(settings.qstash, settings.timeoutMs)
    : async () => ({
        available: false as const,
        reason: "QStash is not configured (QSTASH_TOKEN).",
      });

  const gather = async (): Promise<DashboardState> => {
    const [probes, dlq] = await Promise.all([probeReaders(), deadLetters()]);
    // The primary is read last, so a reader is never seen ahead of it.
    const primary = await snapshot.status();
    const commitTimes = await snapshot.commitTimes(seqsAwaited(primary, probes));
    return dashboardView({ now: now(), primary, probes, commitTimes, deadLetters: dlq });
  };
  const requireAdmin = async (c: Context) => {
    if (!(await isAdmin(c, deps.adminToken, now()))) {
      throw new UnauthorizedError("the dashboard needs the admin token (Bearer or login)");
    }
  };

  app.get("/dashboard", async (c) => {
    const nonce = randomNonce();
    pageHeaders(c, nonce);
    if (!(await isAdmin(c, deps.adminToken, now()))) {
      c.header("X-Error-Code", "unauthorized");
      return c.html(loginPage(nonce), 401);
    }
    return c.html(dashboardPage(nonce, await gather(), history(), settings.refreshMs));
  });
  app.post(
    "/dashboard",
    bodyLimit({
      maxSize: 4_096,
      onError: () => {
        throw new PayloadTooLargeError(4_096);
      },
    }),
    async (c) => {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const token = typeof form.token === "string" ? form.token : "";
      if (!(await sameSecret(token, deps.adminToken))) {
        const nonce = randomNonce();
        pageHeaders(c, nonce);
        c.header("X-Error-Code", "unauthorized");
        return c.html(loginPage(nonce, "That is not the admin token."), 401);
      }
      setCookie(c, sessionCookie, await issueSession(deps.adminToken, now()), {
        path: "/dashboard",
        httpOnly: true,
        sameSite: "Strict",
        // behind a TLS-terminating proxy the request itself arrives as http
        secure:
          new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https",
        maxAge: sessionTtlMs / 1_000,
      });
      pageHeaders(c, null);
      return c.redirect("/dashboard", 303);
    },
  );
  app.post("/dashboard/logout", (c) => {
    deleteCookie(c, sessionCookie, { path: "/dashboard" });
    pageHeaders(c, null);
    return c.redirect("/dashboard", 303);
  });
  app.get("/dashboard/state", async (c) => {
    await requireAdmin(c);
    c.header("cache-control", "no-store");
    return c.json(await gather());
  });
  app.get("/dashboard/history", async (c) => {
    await requireAdmin(c);
    c.header("cache-control", "no-store");
    const lines = history();
    if (!lines)
      throw new NotFoundError("this write API samples no history (no dashboard settings)");
    return c.json(lines);
  });
  app.get("/dashboard/live", async (c) => {
    await requireAdmin(c);
    pageHeaders(c, null);
    return c.html(liveFragment(await gather(), history()));
  });
  return app;
};
