import { render } from 'preact';
import { App } from '../../wallet-page/app.tsx';
import '../../wallet-page/wallet.css';

render(<App />, document.getElementById('app')!);
