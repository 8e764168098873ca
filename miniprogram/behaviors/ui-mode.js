// Every page and the tab bar: `ui` = {elder, cls, style, scale} from services/ui-mode.js, kept up
// to date when the user switches 长辈模式. The root view of the page carries it:
//   <view class="page {{ui.cls}}" style="{{ui.style}}">
const uiMode = require('../services/ui-mode')

module.exports = Behavior({
  data: {
    ui: { elder: false, cls: 'mode-standard', style: '--hh-scale: 1;', scale: 1 },
  },
  lifetimes: {
    attached() {
      this.setData({ ui: uiMode.state() })
      this._offUiMode = uiMode.subscribe((ui) => this.setData({ ui }))
    },
    detached() {
      if (this._offUiMode) this._offUiMode()
      this._offUiMode = null
    },
  },
})
