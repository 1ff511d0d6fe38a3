// The environment catalogue: spaces, time limits and thresholds.
import { ErrorNote, Loading, Panel } from '../components/common';
import { useResource } from '../lib/live';
import { useTitle } from '../lib/router';
import { fmt } from '../lib/transforms';

interface Space {
  type: string;
  repr: string;
}
interface Environment {
  id: string;
  summary?: string;
  observation_space: Space;
  action_space: Space;
  max_episode_steps: number | null;
  reward_threshold: number | null;
  success_threshold: number | null;
}

export default function EnvironmentsPage() {
  useTitle('Environments');
  const list = useResource<{ environments: Environment[] }>('/api/v1/environments');
  return (
    <div className="page">
      <h1>Environments</h1>
      <Panel title="Catalogue" receivedAt={list.receivedAt}>
        <Loading show={list.loading && !list.data} />
        <ErrorNote error={list.error} />
        <table className="table">
          <thead>
            <tr>
              <th scope="col">id</th>
              <th scope="col">observation space</th>
              <th scope="col">action space</th>
              <th scope="col" className="num">time limit</th>
              <th scope="col" className="num">reward threshold</th>
              <th scope="col" className="num">success threshold</th>
              <th scope="col">summary</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.environments ?? []).map((e) => (
              <tr key={e.id}>
                <th scope="row">{e.id}</th>
                <td>
                  <code>{e.observation_space?.repr}</code>
                </td>
                <td>
                  <code>{e.action_space?.repr}</code>
                </td>
                <td className="num">{fmt(e.max_episode_steps)}</td>
                <td className="num">{fmt(e.reward_threshold)}</td>
                <td className="num">{fmt(e.success_threshold)}</td>
                <td className="small">{e.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}
