import { openPrimary } from "./openPrimary.ts";

/**
 * `npm run db:migrate`: applies the drizzle-kit migrations (and creates the
 * inline views' tables) on `DATABASE_URL` without starting the API. The API
 * does the same at start-up; this is for deploy pipelines that migrate first.
 */
const url = process.env.DATABASE_URL ?? "file:.data/primary.db";
const primary = await openPrimary({ url, authToken: process.env.DATABASE_AUTH_TOKEN });
const head = await primary.events.head();
console.log(`migrated ${url.replace(/\/\/[^@]*@/, "//…@")}: log head ${head}`);
primary.close();
