// NAME
//   make_repo.js - a repository written with @tufjs/models, for our client.
//
// SYNOPSIS
//   node make_repo.js OUTDIR
//
// DESCRIPTION
//   Writes OUTDIR/metadata and OUTDIR/targets with consistent snapshots:
//   root (versions 1 and 2, the second signed by the old and the new root
//   key), targets delegating "stable" (paths "*") to its own key, snapshot
//   and timestamp signed with ECDSA P-256 keys, and one target
//   appliance-3.img in stable with custom version and security_version.
//   Keys are made with node's crypto; key ids are the SHA-256 of the
//   canonical key object. Prints the target's sha256.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { canonicalize } = require('@tufjs/canonical-json');
const { Metadata, MetadataKind, Signature } = require('@tufjs/models');

const EXPIRES = new Date(Date.now() + 30 * 86400 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

function newKey(type) {
  const pair = type === 'ed25519'
    ? crypto.generateKeyPairSync('ed25519')
    : crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const object = type === 'ed25519'
    ? { keytype: 'ed25519', scheme: 'ed25519',
        keyval: { public: pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex') } }
    : { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256',
        keyval: { public: pair.publicKey.export({ format: 'pem', type: 'spki' }) } };
  const keyid = crypto.createHash('sha256').update(canonicalize(object)).digest('hex');
  const sign = (data) => new Signature({
    keyID: keyid,
    sig: crypto.sign(type === 'ed25519' ? null : 'sha256', data, pair.privateKey).toString('hex'),
  });
  return { keyid, object, sign };
}

function signed(kind, body, keys) {
  const metadata = Metadata.fromJSON(kind, { signed: body, signatures: [] });
  for (const key of keys) metadata.sign(key.sign, true);
  return JSON.stringify(metadata.toJSON());
}

function common(type, version) {
  return { _type: type, spec_version: '1.0.31', version, expires: EXPIRES };
}

function metaEntry(version, bytes) {
  return { version, length: bytes.length,
           hashes: { sha256: crypto.createHash('sha256').update(bytes).digest('hex') } };
}

function rootBody(version, keys, rootKey) {
  const roles = {};
  const allKeys = {};
  for (const [role, key] of Object.entries({ ...keys, root: rootKey })) {
    roles[role] = { keyids: [key.keyid], threshold: 1 };
    allKeys[key.keyid] = key.object;
  }
  return { ...common('root', version), consistent_snapshot: true, keys: allKeys, roles };
}

function main(out) {
  const meta = path.join(out, 'metadata');
  const targetsDir = path.join(out, 'targets');
  fs.mkdirSync(meta, { recursive: true });
  fs.mkdirSync(targetsDir, { recursive: true });
  const write = (name, bytes) => fs.writeFileSync(path.join(meta, name), bytes);
  const keys = { targets: newKey('ed25519'), snapshot: newKey('ecdsa'), timestamp: newKey('ecdsa') };
  const stableKey = newKey('ecdsa');
  const root1 = newKey('ed25519');
  const root2 = newKey('ecdsa');

  write('1.root.json', signed(MetadataKind.Root, rootBody(1, keys, root1), [root1]));
  write('2.root.json', signed(MetadataKind.Root, rootBody(2, keys, root2), [root1, root2]));

  const image = Buffer.from('slot image three, written for tuf-js\n'.repeat(50));
  const sha256 = crypto.createHash('sha256').update(image).digest('hex');
  const sha512 = crypto.createHash('sha512').update(image).digest('hex');
  fs.writeFileSync(path.join(targetsDir, `${sha256}.appliance-3.img`), image);
  fs.writeFileSync(path.join(targetsDir, `${sha512}.appliance-3.img`), image);
  const stable = signed(MetadataKind.Targets, { ...common('targets', 1), targets: {
    'appliance-3.img': { length: image.length, hashes: { sha256, sha512 },
                         custom: { version: '3.0', security_version: 7 } } } }, [stableKey]);
  write('1.stable.json', stable);
  const targets = signed(MetadataKind.Targets, { ...common('targets', 1), targets: {},
    delegations: { keys: { [stableKey.keyid]: stableKey.object },
                   roles: [{ name: 'stable', keyids: [stableKey.keyid], threshold: 1,
                             terminating: false, paths: ['*'] }] } }, [keys.targets]);
  write('1.targets.json', targets);
  const snapshot = signed(MetadataKind.Snapshot, { ...common('snapshot', 1), meta: {
    'targets.json': metaEntry(1, targets), 'stable.json': metaEntry(1, stable) } }, [keys.snapshot]);
  write('1.snapshot.json', snapshot);
  write('timestamp.json', signed(MetadataKind.Timestamp, { ...common('timestamp', 1),
    meta: { 'snapshot.json': metaEntry(1, snapshot) } }, [keys.timestamp]));
  console.log(sha256);
}

main(process.argv[2]);
