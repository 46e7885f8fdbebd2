// A Worker that counts its scheduled runs, for serveWorker's test: the host, not this, is under test.
let scheduledRuns = 0;
let lastCron = "";

export default {
  fetch: (_request: Request, env: { GREETING?: string }) =>
    Response.json({ greeting: env.GREETING ?? null, scheduledRuns, lastCron }),
  scheduled: (event: { cron: string }) => {
    scheduledRuns++;
    lastCron = event.cron;
    console.log(JSON.stringify({ msg: "tick", scheduledRuns }));
  },
};
