import { render } from 'preact';
import { Queue } from '../../confirm-page/Queue.tsx';

render(<Queue />, document.getElementById('app')!);
