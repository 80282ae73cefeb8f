import { render } from 'preact';
import { Popup } from '../../popup/Popup.tsx';

render(<Popup />, document.getElementById('app')!);
