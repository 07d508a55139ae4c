'use strict';
// A LoudSync host on Node's `ws`, written from PROTOCOL.md the way the original host was built:
// one session, every membership change sent as its own message to every member (no batching),
// one JSON.stringify per message and one ws.send per recipient, a heartbeat sweep every check
// interval that also sends each member a WebSocket ping. It is the baseline the load generator
// measures LoudSync against (docs/BENCHMARKS.md); it is not a product.
//
//   node host.js [--port 8080] [--host 127.0.0.1] [--session-id ABC123] [--max-members 10000]
//
// Prints "listening <port> pid <pid>" on standard output once it accepts connections.

const { WebSocketServer } = require('ws');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const PORT = Number(option('--port', '8080'));
const HOST = option('--host', '127.0.0.1');
const SESSION_ID = option('--session-id', 'ABC123');
const MAX_MEMBERS = Number(option('--max-members', '10000'));
const HEARTBEAT_INTERVAL_MS = 5000;
const HEARTBEAT_TIMEOUT_MS = 15000;
const CHECK_INTERVAL_MS = 5000;
const JOIN_TIMEOUT_MS = 10000;
const MAX_FRAME_BYTES = 64 * 1024;

const normalize = (id) => id.replace(/[-\s]/g, '').toUpperCase();
const createdAt = Date.now();
const host = { id: 'host-ws', name: 'ws host', role: 'host', isHost: true,
  connectionStatus: 'connected', joinedAt: createdAt, latency: null };
const members = new Map(); // deviceId -> { member, ws, lastSeen }

function envelope(type, payload) {
  return JSON.stringify({ type, timestamp: Date.now(), payload });
}

function memberList() {
  return [host, ...[...members.values()].map((m) => m.member)];
}

function broadcast(type, payload, except) {
  const data = envelope(type, payload);
  for (const m of members.values()) {
    if (m.ws !== except && m.ws.readyState === m.ws.OPEN) {
      m.ws.send(data);
    }
  }
}

function refuse(ws, code, message, closeCode) {
  ws.send(envelope('ERROR', { code, message }));
  ws.close(closeCode, code);
}

function validString(v, max) {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

function onJoin(ws, state, payload) {
  if (state.deviceId) {
    ws.send(envelope('ERROR', { code: 'ALREADY_JOINED', message: 'Already joined' }));
    return;
  }
  for (const [field, max] of [['sessionId', 32], ['deviceId', 128], ['deviceName', 64]]) {
    if (!validString(payload[field], max) || (field === 'deviceName' && /[\u0000-\u001f\u007f]/.test(payload[field]))) {
      refuse(ws, 'INVALID_MESSAGE', 'Invalid ' + field, 4503);
      return;
    }
  }
  if (payload.version !== undefined && String(payload.version).split('.')[0] !== '1') {
    refuse(ws, 'VERSION_MISMATCH', 'Unsupported protocol version', 4502);
    return;
  }
  if (normalize(payload.sessionId) !== normalize(SESSION_ID)) {
    refuse(ws, 'SESSION_NOT_FOUND', 'Session not found', 4500);
    return;
  }
  if (members.has(payload.deviceId) || payload.deviceId === host.id) {
    refuse(ws, 'ALREADY_JOINED', 'Already joined', 4504);
    return;
  }
  if (members.size + 1 >= MAX_MEMBERS) {
    refuse(ws, 'SESSION_FULL', `Session is full (${members.size + 1}/${MAX_MEMBERS})`, 4002);
    return;
  }
  clearTimeout(state.joinTimer);
  const member = { id: payload.deviceId, name: payload.deviceName, role: 'client', isHost: false,
    connectionStatus: 'connected', joinedAt: Date.now(), latency: null };
  state.deviceId = member.id;
  members.set(member.id, { member, ws, lastSeen: Date.now() });
  ws.send(envelope('WELCOME', { sessionId: SESSION_ID, sessionName: 'ws host', hostId: host.id,
    hostName: host.name, yourDeviceId: member.id, protocolVersion: 1, serverTime: Date.now(),
    heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS, heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS, maxMembers: MAX_MEMBERS }));
  ws.send(envelope('MEMBER_LIST', { members: memberList() }));
  broadcast('MEMBER_JOINED', { member }, ws);
}

function remove(deviceId, reason) {
  if (members.delete(deviceId)) {
    broadcast('MEMBER_LEFT', { deviceId, reason });
  }
}

function onMessage(ws, state, data, isBinary) {
  if (isBinary) {
    ws.close(1003, 'UNSUPPORTED_DATA');
    return;
  }
  let msg;
  try {
    msg = JSON.parse(data.toString('utf8'));
  } catch (e) {
    ws.send(envelope('ERROR', { code: 'INVALID_MESSAGE', message: 'Malformed JSON' }));
    return;
  }
  if (msg === null || typeof msg !== 'object' || typeof msg.type !== 'string'
      || (msg.payload !== undefined && (msg.payload === null || typeof msg.payload !== 'object'))) {
    ws.send(envelope('ERROR', { code: 'INVALID_MESSAGE', message: 'Invalid envelope' }));
    return;
  }
  const payload = msg.payload || {};
  if (msg.type === 'PING') {
    ws.send(envelope('PONG', { pingTimestamp: msg.timestamp, serverTime: Date.now() }));
    return;
  }
  if (msg.type === 'JOIN') {
    onJoin(ws, state, payload);
    return;
  }
  const me = state.deviceId && members.get(state.deviceId);
  if (!me) {
    ws.send(envelope('ERROR', { code: 'UNAUTHORIZED', message: 'Join the session first' }));
    return;
  }
  me.lastSeen = Date.now();
  switch (msg.type) {
    case 'HEARTBEAT':
      if (payload.deviceId !== state.deviceId) {
        ws.send(envelope('ERROR', { code: 'UNAUTHORIZED', message: 'Not your device id' }));
      }
      return;
    case 'LEAVE':
      state.left = true;
      remove(state.deviceId, 'Left');
      ws.close(1000, 'Left');
      return;
    case 'PONG':
      return;
    case 'CHAT':
      if (typeof payload.text === 'string' && payload.text.length > 0 && payload.text.length <= 1000) {
        broadcast('CHAT', { from: state.deviceId, text: payload.text });
      }
      return;
    default:
      ws.send(envelope('ERROR', { code: 'INVALID_MESSAGE', message: 'Unknown type ' + msg.type }));
  }
}

const wss = new WebSocketServer({ host: HOST, port: PORT, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });

wss.on('connection', (ws) => {
  const state = { deviceId: null, left: false };
  state.joinTimer = setTimeout(() => {
    if (!state.deviceId) {
      ws.close(4001, 'JOIN_TIMEOUT');
    }
  }, JOIN_TIMEOUT_MS);
  ws.on('message', (data, isBinary) => onMessage(ws, state, data, isBinary));
  ws.on('pong', () => {
    const me = state.deviceId && members.get(state.deviceId);
    if (me) {
      me.lastSeen = Date.now();
    }
  });
  ws.on('close', () => {
    clearTimeout(state.joinTimer);
    if (state.deviceId && !state.left && members.get(state.deviceId)?.ws === ws) {
      remove(state.deviceId, 'Connection closed');
    }
  });
  ws.on('error', () => {});
});

setInterval(() => {
  const now = Date.now();
  for (const [id, m] of members) {
    if (now - m.lastSeen > HEARTBEAT_TIMEOUT_MS) {
      remove(id, 'Heartbeat timeout');
      m.ws.close(4000, 'HEARTBEAT_TIMEOUT');
    } else {
      m.ws.ping();
    }
  }
}, CHECK_INTERVAL_MS);

wss.on('listening', () => {
  console.log(`listening ${wss.address().port} pid ${process.pid}`);
});

function shutdown() {
  const data = envelope('SESSION_CLOSED', { reason: 'Host closed session' });
  for (const m of members.values()) {
    m.ws.send(data);
    m.ws.close(1000, 'Host closed session');
  }
  wss.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
