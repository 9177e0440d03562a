package retrieve

import (
	"fmt"
	"math"
	"strings"
)

// Model is a logistic model of whether the corpus answers a question: the
// probability is σ(Bias + Σ Weights[i]·x[i]) over Evidence.Features.
type Model struct {
	Bias    float64
	Weights []float64
}

// Prob returns the model's probability that the features are those of an
// answerable question. A model without weights says 1: it never abstains.
func (m Model) Prob(x []float64) float64 {
	if len(m.Weights) == 0 {
		return 1
	}
	z := m.Bias
	for i, w := range m.Weights {
		if i < len(x) {
			z += w * x[i]
		}
	}
	return 1 / (1 + math.Exp(-z))
}

// String writes the model as the Go literal params.go holds.
func (m Model) String() string {
	ws := make([]string, len(m.Weights))
	for i, w := range m.Weights {
		ws[i] = fmt.Sprintf("%.3f", w)
	}
	return fmt.Sprintf("Model{Bias: %.3f, Weights: []float64{%s}}", m.Bias, strings.Join(ws, ", "))
}

// Fit fits a logistic model to examples xs with labels ys (true:
// answerable), example i counting ws[i] times (nil: once each), by
// Newton's method on the log-likelihood with an L2 penalty l2 on the
// weights (not the bias), which keeps the weights finite when the examples
// separate and small when they are few. Unanswerable examples are few:
// counted once, the fit learns to answer everything.
func Fit(xs [][]float64, ys []bool, ws []float64, l2 float64) Model {
	if len(xs) == 0 {
		return Model{}
	}
	d := len(xs[0]) + 1 // the bias is the last coordinate
	beta := make([]float64, d)
	row := func(x []float64) []float64 { return append(append([]float64(nil), x...), 1) }
	for iter := 0; iter < 50; iter++ {
		grad := make([]float64, d)
		hess := make([][]float64, d)
		for i := range hess {
			hess[i] = make([]float64, d)
		}
		for n, x := range xs {
			r := row(x)
			z := 0.0
			for i := range r {
				z += beta[i] * r[i]
			}
			p := 1 / (1 + math.Exp(-z))
			y, c := 0.0, 1.0
			if ys[n] {
				y = 1
			}
			if ws != nil {
				c = ws[n]
			}
			for i := range r {
				grad[i] += c * (y - p) * r[i]
				for j := range r {
					hess[i][j] -= c * p * (1 - p) * r[i] * r[j]
				}
			}
		}
		for i := 0; i < d-1; i++ {
			grad[i] -= l2 * beta[i]
			hess[i][i] -= l2
		}
		step, ok := solve(hess, grad)
		if !ok {
			break
		}
		change := 0.0
		for i := range beta {
			beta[i] -= step[i]
			change = max(change, math.Abs(step[i]))
		}
		if change < 1e-9 {
			break
		}
	}
	return Model{Bias: beta[d-1], Weights: beta[:d-1]}
}

// solve solves a·x = b by Gaussian elimination with partial pivoting; ok is
// false when a is singular.
func solve(a [][]float64, b []float64) ([]float64, bool) {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(append([]float64(nil), a[i]...), b[i])
	}
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if math.Abs(m[p][c]) < 1e-12 {
			return nil, false
		}
		m[c], m[p] = m[p], m[c]
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := m[r][n]
		for k := r + 1; k < n; k++ {
			s -= m[r][k] * x[k]
		}
		x[r] = s / m[r][r]
	}
	return x, true
}

// LeaveOneOut returns, for each example, the probability a model fitted on
// all the others gives it: how the model does on questions it was not
// fitted on.
func LeaveOneOut(xs [][]float64, ys []bool, ws []float64, l2 float64) []float64 {
	out := make([]float64, len(xs))
	for i := range xs {
		var tx [][]float64
		var ty []bool
		var tw []float64
		tx = append(tx, xs[:i]...)
		tx = append(tx, xs[i+1:]...)
		ty = append(ty, ys[:i]...)
		ty = append(ty, ys[i+1:]...)
		if ws != nil {
			tw = append(tw, ws[:i]...)
			tw = append(tw, ws[i+1:]...)
		}
		out[i] = Fit(tx, ty, tw, l2).Prob(xs[i])
	}
	return out
}

// Accuracy is the share of examples whose probability is on the side of
// below that their label says: at least below for answerable ones.
func Accuracy(probs []float64, ys []bool, below float64) float64 {
	if len(probs) == 0 {
		return 0
	}
	right := 0
	for i, p := range probs {
		if (p >= below) == ys[i] {
			right++
		}
	}
	return float64(right) / float64(len(probs))
}
