/**
 * The 钉钉免登 page's script, served from this origin (the CSP allows no inline script). Inside
 * the DingTalk workbench the JSAPI (loaded before it) gives an auth code for the organisation's
 * CorpId; the server turns it into the person. Elsewhere there is no `dd`, and the page says so.
 */
export const DINGTALK_SIGNIN_SCRIPT = `(function () {
  var main = document.querySelector('[data-corp-id]');
  var status = document.getElementById('status');
  function say(text) { status.textContent = text; }
  if (!window.dd || !window.dd.getAuthCode) {
    say('请在钉钉工作台中打开本页面；在电脑浏览器中请改用“钉钉扫码登录”。');
    return;
  }
  window.dd.ready(function () {
    window.dd.getAuthCode({
      corpId: main.getAttribute('data-corp-id'),
      success: function (result) {
        var code = result.code || result.authCode;
        fetch('/auth/dingtalk/jsapi', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: code, state: main.getAttribute('data-state') })
        }).then(function (response) {
          return response.json().then(function (answer) {
            if (response.ok) window.location.replace(answer.next);
            else say(answer.error || '登录失败，请重试。');
          });
        }, function () { say('网络错误，请重试。'); });
      },
      fail: function (error) { say('钉钉未能提供登录凭证' + (error && error.errorMessage ? '：' + error.errorMessage : '。')); }
    });
  });
})();
`;
