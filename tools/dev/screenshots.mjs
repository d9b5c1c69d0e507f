// See tools/dev/screenshots. Signs in through the real sign-in form, then visits each path at both sizes.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const [driver, ...args] = process.argv.slice(2);
const { chromium } = createRequire(import.meta.url)(driver);

const options = { base: 'http://127.0.0.1:5080', user: null, password: 'Demo@2026', lang: 'zh-CN', dark: false, out: '/tmp/shots' };
const paths = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--dark') options.dark = true;
  else if (a.startsWith('--')) options[a.slice(2)] = args[++i];
  else paths.push(a);
}
if (paths.length === 0) paths.push('/');
mkdirSync(options.out, { recursive: true });

const sizes = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const context = await browser.newContext({ locale: options.lang });
const host = new URL(options.base).hostname;
const cookies = [{ name: '.AspNetCore.Culture', value: `c=${options.lang}|uic=${options.lang}`, domain: host, path: '/' }];
if (options.dark) cookies.push({ name: 'tw-theme', value: 'dark', domain: host, path: '/' });
await context.addCookies(cookies);
const page = await context.newPage();
const problems = [];
page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
page.on('pageerror', e => problems.push(`page error: ${e.message}`));
page.on('response', r => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });

if (options.user) {
  await page.goto(`${options.base}/Account/Login`);
  await page.fill('input[autocomplete=username]', options.user);
  await page.fill('input[autocomplete=current-password]', options.password);
  await Promise.all([page.waitForNavigation(), page.press('input[autocomplete=current-password]', 'Enter')]);
}

for (const p of paths) {
  for (const [name, size] of Object.entries(sizes)) {
    await page.setViewportSize(size);
    await page.goto(options.base + p, { waitUntil: 'networkidle' });
    // Interactive pages mark the live circuit; static ones never do.
    await page.locator('[data-testid=circuit-ready]').waitFor({ state: 'attached', timeout: 8000 }).catch(() => {});
    await page.waitForTimeout(600);
    const file = path.join(options.out, `${options.user ?? 'anonymous'}-${options.lang}${options.dark ? '-dark' : ''}-${name}-${p.replace(/[^a-zA-Z0-9]+/g, '_') || 'home'}.png`);
    await page.screenshot({ path: file, fullPage: name === 'phone' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    console.log(`${file}${overflow > 0 ? `  (page wider than the window by ${overflow}px)` : ''}`);
  }
}
for (const problem of [...new Set(problems)]) console.log(`  ${problem}`);
await browser.close();
