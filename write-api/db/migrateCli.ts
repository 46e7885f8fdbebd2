import { openPrimary } from "./openPrimary.ts";

/**
 * `npm run db:migrate`: applies the drizzle-kit migrations (and creates the
 * inline views' tables) on `DATABASE_URL` without starting the API. The API
 * does the same at start-up; this is for deploy pipelines that migrate first.
 */
const url = process.env.DATABASE_URL ?? "file:.data/primary.db";
const primary = await openPrimary({ url, authToken: process.env.DATABASE_AUTH_TOKEN });
const head = await primary.readClient.execute("SELECT coalesce(max(seq), 0) AS head FROM events");
console.log(`migrated ${url.replace(/\/\/[^@]*@/, "//…@")}: log head ${head.rows[0]?.head ?? 0}`);
primary.close();
