// The live connection's state in the header: icon + text + colour (never colour alone), the next
// attempt's countdown and "retry now" while reconnecting or offline.
import { useEffect, useState } from 'react';
import { useConnectionState, useLive } from '../lib/live';

export function StatusIndicator() {
  const connection = useLive();
  const snapshot = useConnectionState();
  // Re-render four times a second while a countdown is shown.
  const [, setTick] = useState(0);
  const waiting = snapshot.nextAttemptAt !== null;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => setTick((t) => t + 1), 250);
    return () => clearInterval(timer);
  }, [waiting]);
  const now = Date.now();

  let level: 'ok' | 'warn' | 'down';
  let icon: string;
  let text: string;
  switch (snapshot.state) {
    case 'open':
      [level, icon, text] = ['ok', '●', 'Live'];
      break;
    case 'connecting':
      [level, icon, text] = [snapshot.attempt >= 3 ? 'down' : 'warn', '◌', 'Connecting…'];
      break;
    case 'reconnecting':
      [level, icon, text] = ['warn', '◐', 'Reconnecting'];
      break;
    case 'paused':
      [level, icon, text] = ['warn', '‖', 'Paused (tab hidden)'];
      break;
    default:
      [level, icon, text] = ['down', '✕', 'Offline'];
  }
  const seconds =
    snapshot.nextAttemptAt !== null ? Math.max(0, Math.ceil((snapshot.nextAttemptAt - now) / 1000)) : null;
  return (
    <div className={`status status-${level}`} role="status" aria-live="polite" data-state={snapshot.state} data-level={level}>
      <span className="status-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="status-text">{text}</span>
      {seconds !== null ? <span className="status-countdown">retry in {seconds} s</span> : null}
      {snapshot.state === 'reconnecting' || snapshot.state === 'offline' ? (
        <button type="button" className="link-button" onClick={() => connection.retryNow()}>
          Retry now
        </button>
      ) : null}
    </div>
  );
}
