// The ClientCapabilities that vscode-languageclient sends in `initialize`, computed by the installed
// library itself so that the test tracks its version instead of a hand-copied list.
//
// The library needs the `vscode` module, which only exists inside VS Code. Computing capabilities
// reads no VS Code state, so a permissive stand-in (every property is a callable, constructible
// stand-in again) is enough to construct a client and call computeClientCapabilities().
'use strict';
const Module = require('node:module');

/** Version reported to the library's engine check; matches engines.vscode in package.json. */
const VSCODE_VERSION = require('../package.json').engines.vscode.replace(/^\^/, '');

function standIn() {
  const target = function () {};
  return new Proxy(target, {
    get(obj, prop) {
      if (prop === 'version') return VSCODE_VERSION;
      if (prop === 'prototype') return obj.prototype;
      if (prop === 'then') return undefined; // not a thenable
      if (prop === Symbol.toPrimitive) return () => 0;
      if (prop === Symbol.iterator) return function* () {};
      return standIn();
    },
    apply: () => standIn(),
    construct: () => standIn(),
  });
}

function vscodeClientCapabilities() {
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? standIn() : load.call(this, request, ...rest);
  };
  try {
    const { LanguageClient } = require('vscode-languageclient/node');
    const client = new LanguageClient('kbls', 'kbls', { command: 'kbls', args: ['lsp'] }, {
      documentSelector: [{ scheme: 'file', language: 'markdown' }],
    });
    // Round-trip through JSON: drops anything that is not data, as the wire would.
    return JSON.parse(JSON.stringify(client.computeClientCapabilities()));
  } finally {
    Module._load = load;
  }
}

module.exports = { vscodeClientCapabilities, standIn, VSCODE_VERSION };
