import { axis, COLORS, stackedAreas, timeAxis, titleOptions, type ChartSpec, type TimeUnit } from "./chart-common.js"
import type { Metrics, ReplicaPoint } from "./metrics.js"

/**
 * Returns whether the replicas chart has anything to show. It has nothing
 * when the stream had no replica event, or when one replica started, was
 * never Tainted and was Active from the first replica event to the horizon,
 * because its chart would be one flat band.
 */
export const showsReplicaChart = (metrics: Metrics): boolean => {
  const replicas = metrics.replicas
  if (replicas.events === 0) return false
  return replicas.started > 1 || replicas.tainted > 0 || replicas.msWithoutLeader > 0
}

/**
 * Stacked areas of the mean number of replicas per status, with a marker row
 * above them for each new leader (a replica Active in a new lease epoch) and
 * one for each Tainted replica. Markers sit above the stack, so they never
 * hide a status band.
 */
export const replicasChart = (metrics: Metrics, unit: TimeUnit): ChartSpec => {
  const { series, peak, points, pointStride, leaderChanges, tainted, msWithoutLeader } = metrics.replicas
  const area = stackedAreas(metrics, unit, { pointStyle: "rect" })
  // Each marker row has its own stack, so the areas' stacking does not lift it.
  const markers = (kind: ReplicaPoint["kind"], label: string, color: string, pointStyle: "rectRot" | "crossRot", y: number) => ({
    label,
    data: points.filter((point) => point.kind === kind).map((point) => ({ x: point.at / unit.ms, y })),
    stack: `markers-${kind}`,
    showLine: false,
    borderColor: color,
    backgroundColor: color,
    borderWidth: 2,
    pointStyle,
    pointRadius: 6,
    fill: false,
    // Markers at time 0 or at the horizon are drawn whole, not cut at the plot edge.
    clip: false as const
  })
  const sampled = pointStride > 1 ? `, every ${pointStride}th marker shown` : ""
  const seconds = (msWithoutLeader / 1000).toFixed(1)
  const changes = `${leaderChanges} leader change${leaderChanges === 1 ? "" : "s"}`
  const title = `Replicas by status (${changes}, ${tainted} tainted, ${seconds} s without leader${sampled})`
  return {
    name: "replicas",
    title,
    config: {
      type: "line",
      data: {
        datasets: [
          area("Active", series.Active, COLORS.replicaActive, "origin"),
          area("Inactive", series.Inactive, COLORS.replicaInactive, "-1"),
          area("Bootup", series.Bootup, COLORS.replicaBootup, "-1"),
          area("Error", series.Error, COLORS.replicaError, "-1"),
          markers("tainted", "Tainted (crashed or error threshold)", COLORS.tainted, "crossRot", peak + 0.45),
          markers("leader", "New leader", COLORS.leader, "rectRot", peak + 0.9)
        ]
      },
      options: {
        // The legend shows each marker's shape; the areas show as squares.
        plugins: { title: titleOptions(title), legend: { labels: { usePointStyle: true } } },
        scales: {
          x: timeAxis(metrics, unit),
          y: axis("Replicas", {
            stacked: true,
            min: 0,
            max: peak + 2,
            // The rows above `peak` hold the markers, not replica counts.
            ticks: { stepSize: 1, callback: (value) => (Number(value) <= peak ? String(value) : "") }
          })
        }
      }
    }
  }
}
