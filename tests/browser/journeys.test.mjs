// The main journeys on the real binary, in Debian's Chromium driven by
// Playwright: staff sign-in, caseload, a client's charts, assigning a measure
// and completing it on a phone (with a reload half-way), the alert on the
// dashboard, the readiness review with an override, a session video uploaded
// and analysed by the server's own worker. Screenshots go to
// $ATTUNE_SCREENSHOTS (default ./artifacts) as test artefacts.
//
// Run by `cargo test` (crates/cli/tests/it/browser.rs), which sets ATTUNE_BIN.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const BIN = process.env.ATTUNE_BIN;
const CHROMIUM = process.env.ATTUNE_CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.ATTUNE_SCREENSHOTS || "artifacts";

let server;
let base;
let logins;
let browser;
let staff; // Ana's signed-in page, shared by the journeys in order
const cspErrors = [];

function shot(page, name) {
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

function watch(page) {
  page.on("console", (m) => {
    if (m.type() === "error" && /Content.Security.Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
  });
}

before(async () => {
  assert.ok(BIN, "ATTUNE_BIN must name the attune binary");
  mkdirSync(SHOTS, { recursive: true });
  const dir = join(mkdtempSync(join(tmpdir(), "attune-browser-")), "data");
  const out = execFileSync(BIN, ["demo", "--data-dir", dir, "--no-serve", "--json"], { encoding: "utf8" });
  logins = Object.fromEntries(JSON.parse(out).logins.map((l) => [l.username, l.password]));
  server = spawn(BIN, ["serve", "--data-dir", dir, "--bind", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start in 60 s")), 60000);
    server.stdout.on("data", (d) => {
      const m = /at (http:\/\/\S+)/.exec(d.toString());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on("exit", (code) => reject(new Error(`the server exited with ${code}`)));
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
});

test("staff sign in and see their caseload", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  staff = await context.newPage();
  watch(staff);
  await staff.goto(`${base}/login`);
  await staff.fill('input[name="username"]', "ana.reyes");
  await staff.fill('input[name="password"]', "wrong password here");
  await staff.click('button[type="submit"]');
  await staff.getByText("username, password or one-time code is wrong").waitFor();
  await staff.fill('input[name="password"]', logins["ana.reyes"]);
  await staff.click('button[type="submit"]');
  await staff.waitForURL(`${base}/caseload`);
  const rows = await staff.locator("tbody tr").count();
  assert.ok(rows >= 5, `caseload rows: ${rows}`);
  await shot(staff, "01-caseload");
});

test("a client's page shows the course and charts", async () => {
  await staff.locator('tbody a[href^="/clients/"]').first().click();
  await staff.waitForURL(/\/clients\//);
  assert.ok((await staff.locator(".chart svg").count()) >= 1, "at least one chart");
  assert.ok((await staff.locator(".chart svg polyline").count()) >= 1, "lines drawn");
  assert.ok((await staff.locator(".timeline .s").count()) >= 3, "a timeline of sessions");
  await shot(staff, "02-client");
});

let portalLink;

test("a therapist assigns a measure and gets a portal link", async () => {
  await staff.check('input[name="instrument"][value="phq9"]');
  await staff.fill('input[name="time_point"]', "week 3");
  await staff.click('text=Create a portal link');
  portalLink = (await staff.locator("#portal-link").textContent()).trim();
  assert.match(portalLink, /\/p\/[0-9a-f]{64}$/);
  assert.equal(await staff.locator(".qr svg").count(), 1);
  await shot(staff, "03-link");
});

test("the client completes it on a phone, reloading half-way without losing answers", async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await phone.newPage();
  watch(page);
  await page.goto(portalLink);
  await page.locator("a strong").first().click();
  await page.waitForURL(/\/t\//);
  for (const [q, v] of [["q1", "1"], ["q2", "2"], ["q3", "1"], ["q4", "2"], ["q5", "0"]]) {
    await page.check(`input[name="${q}"][value="${v}"]`);
  }
  await page.locator("#saved").filter({ hasText: "5 of 10" }).waitFor();
  await shot(page, "04-portal-half");
  await page.reload();
  for (const [q, v] of [["q1", "1"], ["q2", "2"], ["q5", "0"]]) {
    assert.ok(await page.isChecked(`input[name="${q}"][value="${v}"]`), `${q} kept after reload`);
  }
  assert.match(await page.locator("#progress-text").textContent(), /5 of 10/);
  for (const [q, v] of [["q6", "1"], ["q7", "1"], ["q8", "0"], ["q9", "1"], ["q10", "1"]]) {
    await page.check(`input[name="${q}"][value="${v}"]`);
  }
  await page.click('button[value="review"]');
  await page.waitForURL(/\/review$/);
  await shot(page, "05-portal-review");
  await page.click("text=Send my answers");
  await page.getByText("Please read this now").waitFor();
  await shot(page, "06-portal-sent");
  // The link now says it is used up.
  await page.goto(portalLink);
  await page.getByText("completed everything").waitFor();
  await phone.close();
});

test("the dashboard shows the score and the alert", async () => {
  await staff.goto(`${base}/alerts`);
  await staff.getByText("phq9 item 9 answered 1").first().waitFor();
  await shot(staff, "07-alerts");
  await staff.locator("tr", { hasText: "phq9 item 9 answered 1" }).first().locator('a[href^="/clients/"]').click();
  await staff.waitForURL(/\/clients\//);
  await staff.getByText("phq9 item 9 answered 1").first().waitFor();
});

test("a readiness review says not ready and the session is held only with a reason", async () => {
  await staff.goto(`${base}/caseload`);
  const clients = await staff.locator('tbody a[href^="/clients/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  let review = null;
  for (const c of clients) {
    await staff.goto(base + c);
    const planned = await staff.locator(".timeline a.medicine:not(.held)").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    for (const href of planned) {
      await staff.goto(base + href);
      if ((await staff.locator("#verdict strong").textContent()) === "not ready") {
        review = href;
        break;
      }
    }
    if (review) break;
  }
  assert.ok(review, "a planned medicine session that the review calls not ready");
  await shot(staff, "08-readiness");
  await staff.click("text=Record the session as held");
  await staff.getByText("needs an override reason").waitFor();
  await staff.fill('textarea[name="override_reason"]', "Screened by phone this morning; the team agreed to go ahead.");
  await staff.click("text=Record the session as held");
  await staff.waitForURL(/\/clients\//);
  await staff.goto(base + review);
  await staff.getByText("Held over the review, because: Screened by phone").waitFor();
  await shot(staff, "09-readiness-held");
});

/// A 70-second grey two-person video (Y4M): two textured patches sliding at
/// speeds that follow slow waves, the right one a second behind the left.
function sceneVideo() {
  const W = 128, H = 64, FPS = 25, N = 70 * FPS;
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F${FPS}:1 Ip A1:1 Cmono\n`);
  const frame = Buffer.from("FRAME\n");
  const speed = (t) => 1.2 + 0.9 * Math.sin((2 * Math.PI * t) / (FPS * 4.3)) + 0.6 * Math.sin((2 * Math.PI * t) / (FPS * 7.1) + 1);
  const parts = [header];
  const pos = [0, 0], dir = [1, 1];
  for (let t = 0; t < N; t++) {
    const f = Buffer.alloc(W * H, 60);
    for (let k = 0; k < 2; k++) {
      pos[k] += dir[k] * Math.max(0, speed(t - 25 * k));
      if (pos[k] > 28) { pos[k] = 56 - pos[k]; dir[k] = -1; } else if (pos[k] < 0) { pos[k] = -pos[k]; dir[k] = 1; }
      const left = 4 + 64 * k + pos[k];
      for (let y = 12; y < 52; y++) for (let x = 0; x < W; x++) {
        const u = x - left;
        if (u >= 0 && u < 24) f[y * W + x] = Math.round(128 + 90 * Math.sin((2 * Math.PI * u) / 16) * (0.6 + 0.4 * Math.cos(y / 7)));
      }
    }
    parts.push(frame, f);
  }
  return Buffer.concat(parts);
}

test("a session video is uploaded, analysed by the server's worker and shown", async () => {
  await staff.goto(`${base}/caseload`);
  const clients = await staff.locator('tbody a[href^="/clients/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  let recorded = null;
  let unrecorded = null;
  for (const c of clients) {
    await staff.goto(base + c);
    if (!recorded && (await staff.locator("#movement .chart svg").count()) >= 2) recorded = c;
    const consentRow = staff.locator("#consents tr", { hasText: "Video recording" });
    if (!unrecorded && (await consentRow.getByText("Record consent").count()) === 1) unrecorded = c;
    if (recorded && unrecorded) break;
  }
  assert.ok(recorded, "a demo client with analysed session videos");
  await staff.goto(base + recorded);
  await staff.locator("#movement h2", { hasText: "Lag profile" }).waitFor();
  await staff.locator("#movement").scrollIntoViewIfNeeded();
  await shot(staff, "10-client-synchrony");

  assert.ok(unrecorded, "a demo client without consent to video recording");
  await staff.goto(base + unrecorded);
  const session = await staff.locator(".timeline a.s:not(.medicine):not(.cancelled)").first().getAttribute("href");
  await staff.goto(base + session);
  await staff.getByText("has not consented to video recording").waitFor();
  await staff.goto(base + unrecorded);
  await staff.locator("#consents tr", { hasText: "Video recording" }).getByText("Record consent").click();
  await staff.locator("#consents tr", { hasText: "Video recording" }).getByText("Record withdrawal").waitFor();
  await staff.goto(base + session);
  await staff.setInputFiles('input[name="video"]', { name: "session.y4m", mimeType: "video/x-yuv4mpeg", buffer: sceneVideo() });
  await staff.check('input[name="client_side"][value="left"]');
  await staff.click("text=Upload and analyse");
  await staff.waitForURL(/#video$/);
  let done = false;
  for (let i = 0; i < 120 && !done; i++) {
    done = (await staff.locator("#video .chart svg").count()) > 0;
    if (!done) {
      await new Promise((r) => setTimeout(r, 1000));
      await staff.reload();
    }
  }
  assert.ok(done, "the analysis appears within two minutes");
  await staff.locator("#video").getByText("the client tends to lead").waitFor();
  await staff.locator("#video").scrollIntoViewIfNeeded();
  await shot(staff, "11-session-video");
});

test("no page broke the Content-Security-Policy", () => {
  assert.deepEqual(cspErrors, []);
});
