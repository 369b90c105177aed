// Port checks, so a busy port is reported before minutes of install and build, not after.
import net from 'node:net';

/** Rejects with a message naming `hint` (how to pick another port) if `host:port` is taken. */
export function assertPortFree(port, host, hint) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use; ${hint}`) : error);
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
