import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { launchChromium } from '@pulso/widgets/measure/chromium.ts';
const lit = readFileSync(process.argv[2]!, 'utf8');
const pulso = 'http://127.0.0.1:4599';
const order = process.argv[3] ?? 'host-first';
const hostScript = `<script type="module" src="/host-lit.js"></script>`;
const ours = `<script type="module" src="${pulso}/widgets/pulso-rating.js"></script>`;
const csp = process.argv[4] ?? 'trusted-types lit-html';
const site = createServer((req, res) => {
  if (req.url === '/host-lit.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(lit + '\nconsole.log("host lit ok");');
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/html',
    'content-security-policy': `default-src 'none'; script-src 'self' ${pulso}; connect-src ${pulso}; style-src 'self'; require-trusted-types-for 'script'; ${csp}`,
  });
  res.end(
    `<!doctype html><html lang="en"><body><pulso-rating api-key="x" customer="c"></pulso-rating>${order === 'host-first' ? hostScript + ours : ours + hostScript}</body></html>`,
  );
}).listen(4598, '127.0.0.1');
const b = await launchChromium();
const p = await b.newPage();
p.on('console', (m) => console.log('console', m.type(), m.text()));
p.on('pageerror', (e) => console.log('pageerror', String(e)));
await p.goto('http://127.0.0.1:4598/');
await p.waitForTimeout(2000);
console.log(
  'rating defined:',
  await p.evaluate(() => !!customElements.get('pulso-rating')),
  'rendered:',
  await p.evaluate(() => document.querySelector('pulso-rating')?.shadowRoot?.textContent?.slice(0, 40)),
);
await b.close();
site.close();
