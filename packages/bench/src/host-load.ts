import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import type { HostLoad } from './types.ts'

/** A point-in-time reading of the machine's and this process's CPU time. */
export interface CpuSnapshot {
  /** Busy CPU time of the whole machine in seconds (user, nice, system, irq, softirq, steal), or null without /proc/stat. */
  machineBusyS: number | null
  /** CPU time in seconds of this process (every thread) and its descendants. */
  ownS: number
  /** Wall clock, ms (performance-independent: `Date.now()` suffices at this resolution). */
  wallMs: number
}

// USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture Node supports.
const USER_HZ = 100

function machineBusySeconds(): number | null {
  let text: string
  try {
    text = readFileSync('/proc/stat', 'latin1')
  } catch {
    return null
  }
  const line = text.slice(0, text.indexOf('\n'))
  const f = line.trim().split(/\s+/).slice(1).map(Number)
  if (f.length < 8 || f.some((v) => !Number.isFinite(v))) return null
  // user nice system idle iowait irq softirq steal [guest guest_nice]: guest is already inside user.
  const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!
  return busy / USER_HZ
}

/** utime + stime + cutime + cstime of one /proc/<pid>/stat, in clock ticks, and its parent pid; null when gone. */
function procTicks(pid: string): { ppid: string; ticks: number } | null {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1')
  } catch {
    return null
  }
  // After "pid (comm) ": state is field 3, so index i holds field i + 3: ppid 4, utime 14 … cstime 17.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { ppid: f[1]!, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) }
}

/**
 * CPU seconds of this process and every process below it: its own threads, the children it has
 * reaped (cutime, cstime) and the live descendants (a case that starts a server or a CLI in a
 * child process uses that CPU itself; it is not another process's load). Null off Linux.
 */
function treeCpuSeconds(): number | null {
  const self = procTicks('self')
  if (self === null) return null
  const children = new Map<string, string[]>()
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  } catch {
    return null
  }
  const ticks = new Map<string, number>()
  for (const pid of pids) {
    const t = procTicks(pid)
    if (t === null) continue
    ticks.set(pid, t.ticks)
    const list = children.get(t.ppid)
    if (list === undefined) children.set(t.ppid, [pid])
    else list.push(pid)
  }
  let total = self.ticks
  const stack = [...(children.get(String(process.pid)) ?? [])]
  while (stack.length > 0) {
    const pid = stack.pop()!
    total += ticks.get(pid) ?? 0
    stack.push(...(children.get(pid) ?? []))
  }
  return total / USER_HZ
}

/**
 * Reads the machine's busy CPU time and the CPU time of this process and its descendants.
 *
 * @returns The snapshot.
 */
export function cpuSnapshot(): CpuSnapshot {
  const tree = treeCpuSeconds()
  const u = process.cpuUsage()
  return { machineBusyS: machineBusySeconds(), ownS: tree ?? (u.user + u.system) / 1e6, wallMs: Date.now() }
}

/**
 * How much CPU the rest of the machine used between two snapshots of this process: the machine's
 * busy time minus that of this process and its descendants, per second of wall time, in cores. Another process spinning
 * on one core reads about 1.0; an idle machine about 0.0 (the kernel's housekeeping, the harness
 * parent waiting on IPC). Steal time counts: a hypervisor taking the CPU is a busy machine too.
 *
 * @param a - Snapshot at the window's start.
 * @param b - Snapshot at its end.
 * @returns Other processes' CPU in cores, and the 1-minute load average.
 */
export function hostLoadBetween(a: CpuSnapshot, b: CpuSnapshot): HostLoad {
  const wallS = (b.wallMs - a.wallMs) / 1000
  const load1 = os.loadavg()[0] ?? null
  if (a.machineBusyS === null || b.machineBusyS === null || wallS <= 0)
    return { other_cpu_cores: null, load1: os.platform() === 'win32' ? null : load1 }
  const other = (b.machineBusyS - a.machineBusyS - (b.ownS - a.ownS)) / wallS
  return { other_cpu_cores: Math.max(0, Math.round(other * 1000) / 1000), load1 }
}

/** Other processes' CPU above which a case counts as measured on a busy machine, in cores. */
export const BUSY_OTHER_CPU_CORES = 0.25
