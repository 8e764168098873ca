// What ../../contracts.md adds to the API for issues 12 and 15, in the shape tests/api.openapi.test.js
// checks: the mini-program is built against it before the backend's openapi.json has it. When the
// backend lands a route, openapi.json describes it and this overlay is no longer consulted for it
// (remove the entry then; the test says which entries openapi.json already covers).
module.exports = {
  // routes that openapi.json does not have yet: method + path template → query names and body
  routes: {},
  // fields routes that exist gain: extra body properties, and required ones that become optional
  bodies: {},
}
