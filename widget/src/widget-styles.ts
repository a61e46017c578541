// Lives in the widget's shadow root: the page's CSS cannot reach in, and none of this leaks out. Colours keep at
// least 4.5:1 contrast (white on #1d4ed8 is 6.7:1; #4b5563 on white is 7.6:1).
export const widgetCss = `
:host{all:initial}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.tc{position:fixed;right:20px;bottom:20px;z-index:2147483000;font-size:15px;line-height:1.4;color:#111827}
button,input,textarea{font:inherit;color:inherit}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.launcher{width:56px;height:56px;border-radius:50%;border:0;background:#1d4ed8;color:#fff;cursor:pointer;
box-shadow:0 0 0 2px #fff,0 4px 14px rgba(0,0,0,.3);display:grid;place-items:center;position:relative}
.launcher:focus-visible{outline-color:#111827}
.launcher svg{width:28px;height:28px}
.ldot{position:absolute;top:3px;right:3px;width:14px;height:14px;border-radius:50%;border:2px solid #fff;background:#6b7280}
.on .ldot,.on .dot{background:#15803d}
.panel{position:absolute;right:0;bottom:72px;width:370px;height:min(600px,calc(100vh - 110px));background:#fff;
border-radius:12px;box-shadow:0 10px 40px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden}
.panel[hidden]{display:none}
header{background:#1d4ed8;color:#fff;padding:12px 12px 12px 16px;display:flex;align-items:center;gap:8px}
header div{flex:1;min-width:0}
h2{margin:0;font-size:17px;font-weight:600}
.status{margin:2px 0 0;font-size:13px;display:flex;align-items:center;gap:6px}
.dot{width:9px;height:9px;border-radius:50%;background:#d1d5db;display:inline-block}
.x{border:0;background:transparent;color:#fff;width:44px;height:44px;border-radius:8px;cursor:pointer;font-size:26px;line-height:1}
.x:focus-visible{outline-color:#fff;outline-offset:-4px}
.body{flex:1;display:flex;flex-direction:column;min-height:0}
form.pre{padding:16px;overflow:auto;display:flex;flex-direction:column;gap:12px}
.pre p{margin:0}
label{display:block;font-weight:600;font-size:14px;margin-bottom:4px}
input,textarea{width:100%;border:1px solid #6b7280;border-radius:8px;padding:10px;background:#fff;font-size:16px}
textarea{resize:none}
.err{color:#b91c1c;font-size:13px;margin:4px 0 0}
.primary{background:#1d4ed8;color:#fff;border:0;border-radius:8px;padding:10px 16px;font-weight:600;cursor:pointer;min-height:44px}
.primary:disabled{opacity:.6;cursor:default}
.link{background:none;border:0;color:#1d4ed8;text-decoration:underline;cursor:pointer;padding:8px 4px;min-height:44px}
.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}
.msg{max-width:85%;padding:8px 12px;border-radius:12px;background:#f3f4f6;align-self:flex-start;white-space:pre-wrap;overflow-wrap:anywhere}
.msg.me{align-self:flex-end;background:#1d4ed8;color:#fff}
.who{display:block;font-size:12px;font-weight:600;margin-bottom:2px}
.msg.pending{opacity:.7}
.msg.failed{outline:2px solid #b91c1c}
.typing{min-height:20px;margin:0;padding:0 12px;font-size:13px;color:#4b5563;font-style:italic}
.notice{margin:0 12px 8px;padding:10px 12px;border-radius:8px;background:#fef3c7;color:#111827;font-size:14px}
.notice form{display:flex;gap:8px;margin-top:8px}
.notice label{position:absolute;left:-9999px}
.composer{display:flex;gap:8px;padding:10px 12px;border-top:1px solid #e5e7eb;align-items:flex-end}
.composer label{position:absolute;left:-9999px}
.composer textarea{max-height:120px}
.foot{display:flex;justify-content:space-between;align-items:center;margin:0;padding:0 12px 4px;font-size:13px;color:#4b5563}
.ended{padding:24px 16px;display:flex;flex-direction:column;gap:12px;align-items:flex-start}
.sv{display:flex;flex-direction:column;gap:8px;width:100%}
.sv p{margin:0;font-weight:600}
.sv-scale{display:flex;flex-wrap:wrap;gap:6px}
.sv-opt{min-width:44px;min-height:44px;border:1px solid #6b7280;border-radius:8px;background:#fff;font-size:22px;cursor:pointer}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:479px){

.tc.open .launcher{display:none}
.panel{position:fixed;inset:0;width:100%;height:100%;border-radius:0;bottom:auto;right:auto}
}
`;
