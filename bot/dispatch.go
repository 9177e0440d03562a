package bot

import (
	"context"
	"sync"
	"time"
)

// dispatcher runs jobs on a bounded pool of workers, one job at a time per
// chat and in arrival order within a chat, so a slow answer in one chat
// holds up only that chat. At most capacity jobs are queued or running;
// enqueue waits for room.
type dispatcher struct {
	handle  func(ctx context.Context, in incoming)
	ctx     context.Context // jobs' parent: outlives the run's context, cancelled by stop
	stop    context.CancelFunc
	timeout time.Duration // deadline of one job

	slots   chan struct{} // one per queued or running job
	ready   chan int64    // chats with a job to run and none running
	mu      sync.Mutex
	queues  map[int64][]incoming // per chat: jobs not yet started; present while the chat has a job queued or running
	pending sync.WaitGroup       // jobs queued or running
	workers sync.WaitGroup
}

func newDispatcher(parent context.Context, workers, capacity int, timeout time.Duration, handle func(context.Context, incoming)) *dispatcher {
	ctx, stop := context.WithCancel(context.WithoutCancel(parent))
	d := &dispatcher{
		handle: handle, ctx: ctx, stop: stop, timeout: timeout,
		slots:  make(chan struct{}, capacity),
		ready:  make(chan int64, capacity),
		queues: map[int64][]incoming{},
	}
	for range workers {
		d.workers.Add(1)
		go d.work()
	}
	return d
}

// enqueue queues a job for its chat, waiting for room until ctx is done.
// A nil error means the job will run.
func (d *dispatcher) enqueue(ctx context.Context, in incoming) error {
	select {
	case d.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	d.pending.Add(1)
	d.mu.Lock()
	defer d.mu.Unlock()
	q, active := d.queues[in.chatID]
	d.queues[in.chatID] = append(q, in)
	if !active {
		d.ready <- in.chatID // never blocks: fewer active chats than slots
	}
	return nil
}

func (d *dispatcher) work() {
	defer d.workers.Done()
	for chat := range d.ready {
		d.mu.Lock()
		in := d.queues[chat][0]
		d.queues[chat] = d.queues[chat][1:]
		d.mu.Unlock()

		ctx, cancel := context.WithTimeout(d.ctx, d.timeout)
		d.handle(ctx, in)
		cancel()

		d.mu.Lock()
		if len(d.queues[chat]) == 0 {
			delete(d.queues, chat)
		} else {
			d.ready <- chat
		}
		d.mu.Unlock()
		<-d.slots
		d.pending.Done()
	}
}

// drain waits for every queued job to finish, for at most grace; then it
// cancels the jobs left (they fall back and deliver what they have) and
// waits for at most after more. It returns how many jobs had not finished
// by then. Call it once, after the last enqueue.
func (d *dispatcher) drain(grace, after time.Duration) (left int) {
	done := make(chan struct{})
	go func() {
		d.pending.Wait()
		close(done)
	}()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		d.stop() // answers in flight give up and fall back
		t2 := time.NewTimer(after)
		defer t2.Stop()
		select {
		case <-done:
		case <-t2.C:
			return len(d.slots)
		}
	}
	d.stop()
	close(d.ready)
	d.workers.Wait()
	return 0
}
