// End-to-end: sign in with a token, open the queue, open a person, mark the finding a false
// positive, reload, and see it persisted (in the page and in the queue filter).
// Usage: node serve.mjs BASE_URL TOKEN SCREENSHOT.png
import { chromium } from 'playwright-core';

const [base, token, shot] = process.argv.slice(2);
if (!base || !token || !shot) {
  console.error('usage: node serve.mjs BASE_URL TOKEN SCREENSHOT.png');
  process.exit(2);
}
const fail = (msg) => { throw new Error(msg); };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${base}/ui`);
  if (!page.url().endsWith('/ui/login')) fail(`not sent to sign in: ${page.url()}`);
  await page.fill('input[name=token]', token);
  await Promise.all([page.waitForURL(`${base}/ui`), page.click('button[type=submit]')]);
  await page.waitForSelector('table.queue');
  const people = await page.locator('a.person').count();
  if (people === 0) fail('the queue is empty');
  const first = page.locator('a.person').first();
  const pid = (await first.textContent()).trim();
  await Promise.all([page.waitForURL(`**/ui/people/${pid}`), first.click()]);
  await page.waitForSelector('h2:has-text("Evidence")');
  await page.selectOption('select[name=state]', 'false_positive');
  await page.fill('input[name=assignee]', 'e2e-analyst');
  await Promise.all([page.waitForURL(`**/ui/people/${pid}#triage`), page.click('form.triage button[type=submit]')]);
  await page.reload();
  const state = (await page.textContent('#triage strong.state')).trim();
  if (state !== 'false positive') fail(`state after reload is "${state}"`);
  const selected = await page.$eval('select[name=state]', (s) => s.value);
  if (selected !== 'false_positive') fail(`form shows "${selected}" after reload`);
  await page.screenshot({ path: shot, fullPage: true });
  await page.goto(`${base}/ui?state=false_positive`);
  const listed = await page.locator(`a.person:has-text("${pid}")`).count();
  if (listed !== 1) fail(`${pid} not in the false-positive queue`);
  console.log(`e2e ok: signed in, ${people} findings in the queue, ${pid} marked false positive and persisted`);
} finally {
  await browser.close();
}
