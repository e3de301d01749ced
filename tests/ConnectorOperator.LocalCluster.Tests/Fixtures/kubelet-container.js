// A stand-in container for the process kubelet tests. Behaviour comes from its environment:
// PRINT_ENV=A,B prints "env A=value" lines; CRASH_EXIT_CODE exits at once with that code;
// UNHEALTHY makes /healthz answer 500; SLOW_SIGTERM ignores SIGTERM (so only SIGKILL ends it).
const http = require('http');
const env = process.env;
for (const name of (env.PRINT_ENV || '').split(',').filter(Boolean)) {
  console.log(`env ${name}=${env[name] === undefined ? '<unset>' : env[name]}`);
}
if (env.PRINT_PGRP) {
  const stat = require('fs').readFileSync('/proc/self/stat', 'utf8');
  console.log(`pgrp ${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]}`);
}
if (env.CRASH_EXIT_CODE) {
  console.error('crashing on purpose');
  process.exit(Number(env.CRASH_EXIT_CODE));
}
const server = http.createServer((req, res) => {
  if (req.url === '/drain') console.log('preStop');
  const status = req.url === '/healthz' && env.UNHEALTHY ? 500 : 200;
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(status === 200 ? 'ok' : 'unhealthy');
});
server.listen(Number(env.PORT || 8080), env.LISTEN_ADDRESS || '127.0.0.1', () => console.log(`listening ${env.LISTEN_ADDRESS}:${env.PORT}`));
process.on('SIGTERM', () => {
  console.log('SIGTERM');
  if (!env.SLOW_SIGTERM) setTimeout(() => process.exit(0), 20);
});
