import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { refreshSession } from './session';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
void refreshSession();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
