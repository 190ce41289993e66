// NAME
//   verify.js - the tuf-js client (an independent TUF implementation)
//   against a repository on disk.
//
// SYNOPSIS
//   node verify.js REPO ROOT.json WORKDIR TARGET...
//
// DESCRIPTION
//   Trusts ROOT.json, refreshes from REPO/metadata, then finds and downloads
//   each TARGET from REPO/targets. Prints one JSON line per target: its
//   name, length, custom metadata and the sha256 of the downloaded bytes.
//   Exit 0 on success, 1 with tuf-js's error on stderr.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { BaseFetcher, Updater } = require('tuf-js');
const { DownloadHTTPError } = require('tuf-js/dist/error');

// Serves files from disk; a missing file is a 404, as a web server says it.
class DirectoryFetcher extends BaseFetcher {
  constructor(root) {
    super();
    this.root = root;
  }
  async fetch(url) {
    const file = path.join(this.root, new URL(url).pathname);
    if (!fs.existsSync(file)) throw new DownloadHTTPError(`${url}: not found`, 404);
    return fs.createReadStream(file);
  }
}

async function main([repo, rootFile, work, ...targets]) {
  const metadataDir = path.join(work, 'metadata');
  const targetDir = path.join(work, 'targets');
  fs.mkdirSync(metadataDir, { recursive: true });
  fs.mkdirSync(targetDir, { recursive: true });
  fs.copyFileSync(rootFile, path.join(metadataDir, 'root.json'));
  const updater = new Updater({
    metadataDir,
    targetDir,
    metadataBaseUrl: 'http://repo.invalid/metadata',
    targetBaseUrl: 'http://repo.invalid/targets',
    fetcher: new DirectoryFetcher(repo),
  });
  await updater.refresh();
  for (const name of targets) {
    const info = await updater.getTargetInfo(name);
    if (!info) throw new Error(`target ${name} not found`);
    const file = await updater.downloadTarget(info, path.join(targetDir, name));
    const sha256 = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    console.log(JSON.stringify({ name, length: info.length, custom: info.custom, sha256 }));
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(`tuf-js: ${error.constructor.name}: ${error.message}`);
  process.exit(1);
});
