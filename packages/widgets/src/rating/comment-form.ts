// The optional comment after a click (the `comment` attribute): a chunk of its own, fetched at the
// click, since most ratings have no comment box and none shows one before a click. Its styles come
// with it (adopted when it first shows).
import { html } from 'lit/html.js';
import commentCss from './comment-form.css?inline';

export { commentCss };

/** The form: the comment (optional), Send, or No thanks; `t` words it in the widget's language. */
export function commentForm(
  t: (key: 'commentLabel' | 'send' | 'skip') => string,
  send: (comment: string | null) => void,
) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const text = (event.target as HTMLFormElement).querySelector('textarea')!.value.trim();
    send(text || null);
  };
  return html`<form part="comment-form" @submit=${submit}>
    <label for="comment">${t('commentLabel')}</label>
    <textarea id="comment" part="comment" maxlength="2000"></textarea>
    <div class="actions">
      <button type="submit" part="submit">${t('send')}</button>
      <button type="button" part="skip" @click=${() => send(null)}>${t('skip')}</button>
    </div>
  </form>`;
}
