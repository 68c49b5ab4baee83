import { createRoot } from 'react-dom/client';
import { App } from './App';
import './app.css';
import { watchLabels } from './a11y/labels';

watchLabels();
const el = document.getElementById('root');
if (el) createRoot(el).render(<App />);
