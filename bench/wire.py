"""The smallest data-channel client that works against the local Session Manager: the bench's baseline "through the
service, with no client of ours in between" (feel.py).

A round trip through a session passes the testkit's relay and its simulated agent as well as the client; measured
straight to the echo server or on a local terminal, the baseline would charge the client for the service. This
client does only what the protocol requires (SPEC §1-4: the OpenDataChannel frame, acks, the handshake response,
Output messages), single-threaded, in one socket, with no buffering, retransmission, encryption or smux: the least any
client can add. It starts its sessions with botocore (which the AWS CLI v1 brings) and the testkit's credentials.

Used by feel.py; not a general client (plain ws:// on loopback only, no retransmission: loopback does not drop).
"""
import base64
import hashlib
import json
import os
import socket
import struct
import time
import uuid

HEADER = struct.Struct('>I32sIqqQ16s32sII')  # HeaderLength .. PayloadLength (SPEC §2), 120 bytes
OUTPUT, SIZE, HANDSHAKE_REQUEST, HANDSHAKE_RESPONSE, HANDSHAKE_COMPLETE = 1, 3, 5, 6, 7


def start_session(endpoint, region, target, document=None, parameters=None):
    """StartSession through botocore, with the environment's (the testkit's) credentials: (stream url, token)."""
    import botocore.session
    ssm = botocore.session.get_session().create_client('ssm', region_name=region, endpoint_url=endpoint)
    kwargs = {'Target': target}
    if document:
        kwargs['DocumentName'] = document
    if parameters:
        kwargs['Parameters'] = parameters
    r = ssm.start_session(**kwargs)
    return r['StreamUrl'], r['TokenValue']


def wire_uuid(u):
    b = u.bytes
    return b[8:] + b[:8]


class Channel:
    """One data channel: a blocking WebSocket (RFC 6455, client side) carrying SPEC §2 messages."""

    def __init__(self, stream_url, token, client_version='1.2.0.0'):
        assert stream_url.startswith('ws://'), 'plain ws:// only (the local Session Manager)'
        hostport, _, path = stream_url[5:].partition('/')
        host, _, port = hostport.partition(':')
        self.sock = socket.create_connection((host, int(port or 80)), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(('GET /%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                           'Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n'
                           % (path, hostport, key)).encode())
        self.buf = b''
        while b'\r\n\r\n' not in self.buf:
            self.buf += self._recv()
        head, _, self.buf = self.buf.partition(b'\r\n\r\n')
        if not head.startswith(b'HTTP/1.1 101'):
            raise RuntimeError('WebSocket upgrade refused: %r' % head.split(b'\r\n')[0])
        self.client_version = client_version
        self.seq = 0
        self.expected = 0
        self.session_type = None
        self._send_frame(0x1, json.dumps({'MessageSchemaVersion': '1.0', 'RequestId': str(uuid.uuid4()),
                                          'TokenValue': token, 'ClientId': str(uuid.uuid4()),
                                          'ClientVersion': client_version}).encode())

    # -- WebSocket framing
    def _recv(self):
        d = self.sock.recv(65536)
        if not d:
            raise RuntimeError('the data channel closed')
        return d

    def _need(self, n):
        while len(self.buf) < n:
            self.buf += self._recv()

    def _send_frame(self, opcode, data):
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            head = struct.pack('>BB', 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            head = struct.pack('>BBH', 0x80 | opcode, 0xfe, n)
        else:
            head = struct.pack('>BBQ', 0x80 | opcode, 0xff, n)
        m = (int.from_bytes(mask * ((n + 3) // 4), 'big') >> (8 * (-n % 4))) if n else 0
        masked = (int.from_bytes(data, 'big') ^ m).to_bytes(n, 'big') if n else b''
        self.sock.sendall(head + mask + masked)

    def _read_frame(self):
        while True:
            self._need(2)
            b0, b1 = self.buf[0], self.buf[1]
            n, at = b1 & 0x7f, 2
            if n == 126:
                self._need(4)
                n, at = struct.unpack('>H', self.buf[2:4])[0], 4
            elif n == 127:
                self._need(10)
                n, at = struct.unpack('>Q', self.buf[2:10])[0], 10
            self._need(at + n)
            data, self.buf = self.buf[at:at + n], self.buf[at + n:]
            opcode = b0 & 0x0f
            if opcode == 0x9:
                self._send_frame(0xA, data)
            elif opcode == 0x8:
                raise RuntimeError('the data channel closed')
            elif opcode in (0x1, 0x2):
                return data

    # -- SPEC §2 messages
    def _send_message(self, message_type, payload, payload_type, seq, flags):
        header = HEADER.pack(116, message_type.encode().ljust(32), 1, int(time.time() * 1000), seq, flags,
                             wire_uuid(uuid.uuid4()), hashlib.sha256(payload).digest(), payload_type, len(payload))
        self._send_frame(0x2, header + payload)

    def send(self, payload, payload_type=OUTPUT):
        self._send_message('input_stream_data', payload, payload_type, self.seq, 0)
        self.seq += 1

    def _ack(self, message_type, message_id, seq):
        body = json.dumps({'AcknowledgedMessageType': message_type, 'AcknowledgedMessageId': str(message_id),
                           'AcknowledgedMessageSequenceNumber': seq, 'IsSequentialMessage': True}).encode()
        self._send_message('acknowledge', body, 0, 0, 3)

    def receive(self):
        """The next Output payload from the agent (acks it; answers the handshake on the way); None at the end."""
        while True:
            ptype, payload = self._next()
            if ptype != HANDSHAKE_COMPLETE:
                return payload

    def handshake(self):
        """Until the agent's HandshakeComplete (port and command sessions; a plain shell has no handshake)."""
        while self._next()[0] != HANDSHAKE_COMPLETE:
            pass

    def _next(self):
        while True:
            frame = self._read_frame()
            (_, mtype, _, _, seq, _, mid, _, ptype, _) = HEADER.unpack_from(frame)
            mtype = mtype.strip(b'\0 ').decode()
            payload = frame[120:]
            if mtype == 'channel_closed':
                return OUTPUT, None
            if mtype != 'output_stream_data':
                continue  # acknowledge, start/pause_publication: nothing to do without retransmission
            self._ack(mtype, uuid.UUID(bytes=mid[8:] + mid[:8]), seq)
            if seq != self.expected:
                continue  # a retransmission
            self.expected += 1
            if ptype == HANDSHAKE_REQUEST:
                request = json.loads(payload)
                actions = []
                for a in request['RequestedClientActions']:
                    if a['ActionType'] == 'SessionType':
                        self.session_type = a['ActionParameters']['SessionType']
                        actions.append({'ActionType': 'SessionType', 'ActionStatus': 1, 'ActionResult': None, 'Error': ''})
                    else:
                        actions.append({'ActionType': a['ActionType'], 'ActionStatus': 3, 'ActionResult': None,
                                        'Error': 'Unsupported action ' + a['ActionType']})
                self.send(json.dumps({'ClientVersion': self.client_version, 'ProcessedClientActions': actions,
                                      'Errors': None}).encode(), HANDSHAKE_RESPONSE)
            elif ptype in (HANDSHAKE_COMPLETE, OUTPUT):
                return ptype, payload

    def drain(self, quiet):
        """Reads (and acks) until the agent has been quiet for `quiet` seconds."""
        self.sock.settimeout(quiet)
        try:
            while True:
                if self.receive() is None:
                    return
        except socket.timeout:
            pass
        finally:
            self.sock.settimeout(30)

    def close(self):
        try:
            self._send_frame(0x8, b'')
        except OSError:
            pass
        self.sock.close()
