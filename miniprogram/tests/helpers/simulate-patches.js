// What miniprogram-simulate 1.6 / j-component cannot read in TDesign 1.16's WXML, rewritten as
// WeChat means it, for the tests and for the screenshot renderer (tools/screenshots) alike:
//
//  - <wxs src="…"> modules (TDesign's common/utils.wxs: _._style, _.cls, isValidIconName) are not
//    supported: they are inlined as <wxs module> with WXS semantics (getRegExp escapes, string
//    `constructor`, nested require). Without this TDesign's classes and inline styles are empty.
//  - <template is="icon" data="{{…}}"> (common/template/icon.wxml) becomes the t-icon it stands for;
//    templates whose data spreads an object ({{ ...item.badgeProps }}, badges and icons of t-tabs
//    items, which the app does not use) are dropped.
//  - object shorthand in expressions (_this.isShowBadge({dot,count,showZero})) and a lone spread
//    ({ ...item.badgeProps }) are written out.
//  - wx:for over a number (t-rate: wx:for="{{ count }}") iterates 0…n-1, as WeChat does.
//
// apply() is idempotent per module registry: call it after every jest.resetModules() + require of
// miniprogram-simulate (tests/helpers/page.js does).
const fs = require('fs')
const path = require('path')

function wxsModuleExpr(file) {
  let content = fs.readFileSync(file, 'utf8')
  // WXS keeps backslashes in getRegExp('…') string literals; JS would drop them ('\d' === 'd')
  content = content.replace(/getRegExp\((['"])((?:\\.|(?!\1).)*)\1/g, (a, q, s) => 'getRegExp(' + q + s.replace(/\\/g, '\\\\') + q)
  // WXS: x.constructor is a string ('Array', 'Object', 'String', …)
  content = content.replace(/\.constructor\b/g, '.constructor.name')
  content = content.replace(/require\(\s*['"]([^'"]+\.wxs)['"]\s*\)/g, (a, rel) => wxsModuleExpr(path.resolve(path.dirname(file), rel)))
  return '(function(){var module={exports:{}};var exports=module.exports;\n' + content + '\n;return module.exports})()'
}

function inlineWxs(wxml, file) {
  return wxml.replace(/<wxs\b([^>]*?)(\/>|>\s*<\/wxs>)/g, (all, attrs) => {
    const src = /src\s*=\s*"([^"]+)"/.exec(attrs)
    const mod = /module\s*=\s*"([^"]+)"/.exec(attrs)
    if (!src || !mod) return all
    const target = path.resolve(path.dirname(file), src[1])
    return '<wxs module="' + mod[1] + '">module.exports = ' + wxsModuleExpr(target) + ';</wxs>'
  })
}

// <template is="icon" data="{{tClass: …, name: iconName, ..._icon}}"/> → <t-icon> with the same
// class, and the name from the spread object (or the explicit one)
function iconFromSpread(all, pre, data) {
  const cond = /(wx:(?:if|elif)="[^"]*")/.exec(pre)
  const spread = /\.\.\.\s*([\w$.]+)/.exec(data)
  const tClass = /tClass:\s*([^,}]+)/.exec(data)
  const name = /(?:^|[\s,{])name:\s*([\w$.]+)/.exec(data)
  const nameExpr = spread ? spread[1] + '.name' + (name ? ' || ' + name[1] : '') : name ? name[1] : "''"
  const size = spread ? ' size="{{' + spread[1] + '.size || \'\'}}"' : ''
  return '<t-icon ' + (cond ? cond[1] + ' ' : '') + 't-class="{{' + (tClass ? tClass[1].trim() : "''") + '}}" name="{{' + nameExpr + '}}"' + size + '/>'
}

function rewriteTdesign(out) {
  out = out.replace(/<template\b([^>]*?)is="icon"\s+data="\{\{([^"]*\.\.\.[^"]*)\}\}"\s*\/>/g, iconFromSpread)
  // other templates fed by a spread object: t-tabs' badges (unused by the app)
  out = out.replace(/<template\b[^>]*data="\{\{[^"]*\.\.\.[^"]*\}\}"[^>]*\/>/g, '')
  // <template is="icon" data="{{tClass: …, name: …}}"/> → <t-icon>
  if (out.indexOf('is="icon"') >= 0) {
    out = out.replace(/<template\b([^>]*?)is="icon"\s+data="\{\{([^"]*)\}\}"\s*\/>/g, (all, pre, data) => {
      const cond = /(wx:(?:if|elif)="[^"]*")/.exec(pre)
      const m = /tClass:\s*([^,]+),\s*name:\s*([^,}]+)/.exec(data)
      if (!m) return all
      return '<t-icon ' + (cond ? cond[1] + ' ' : '') + 't-class="{{' + m[1].trim() + '}}" name="{{' + m[2].trim() + '}}"/>'
    })
  }
  // ({ ...x }) → (x); ({a,b,c}) → ({a:a,b:b,c:c})
  out = out.replace(/\(\{\s*\.\.\.([\w$.]+)\s*\}\)/g, '($1)')
  out = out.replace(/\(\{\s*([A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)+)\s*\}\)/g, (m, list) =>
    '({' + list.split(',').map((s) => s.trim() + ':' + s.trim()).join(',') + '})'
  )
  // wx:for over a number
  if (/wx:for="\{\{\s*[A-Za-z_$][\w$]*\s*\}\}"/.test(out)) {
    out =
      '<wxs module="__num">module.exports={r:function(x){if(typeof x==="number"){var a=[];for(var i=0;i<x;i++)a.push(i);return a}return x}};</wxs>' +
      out.replace(/wx:for="\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}"/g, 'wx:for="{{__num.r($1)}}"')
  }
  return out
}

function apply() {
  global.getRegExp = global.getRegExp || ((p, f) => new RegExp(p, f))
  global.getDate = global.getDate || ((...a) => (a.length ? new Date(...a) : new Date()))
  const utils = require('miniprogram-simulate/src/utils')
  if (utils.__tdesignPatched) return utils
  const readFile = utils.readFile
  utils.readFile = (file) => {
    const content = readFile(file)
    if (typeof content !== 'string' || !/\.wxml$/.test(file)) return content
    let out = content.indexOf('<wxs') >= 0 ? inlineWxs(content, file) : content
    if (file.indexOf('tdesign-miniprogram') >= 0) out = rewriteTdesign(out)
    return out
  }
  utils.__tdesignPatched = true
  return utils
}

module.exports = { apply, inlineWxs, wxsModuleExpr }
