// SPDX-License-Identifier: BSD-2-Clause
/*
 * The page-table manager with harts on real threads (the fake's threaded
 * mode): the cases the differential fuzzer's rounds found.
 */
#include <pthread.h>
#include <time.h>

#include "test_ptm.h"

static unsigned long info_value;
static int info_done;

static void *info_on_hart1(void *arg)
{
	(void)arg;
	fake_thread_enter(1);
	CHECK_EQ(ptm_info_hart(1, SECMON_INFO_FREE_PAGES, &info_value),
		 SBI_SUCCESS);
	fake_thread_leave(1);
	__atomic_store_n(&info_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * INFO's free pages while another hart releases pages (fuzz: an
 * AS_DESTROY of a G-stage space and an INFO in one round; INFO said 30
 * of a 32-page pool, between 28 and 32). The count changes a page at a
 * time under the gate held alone; INFO must wait for the gate and see
 * the count before or after, never one in between.
 */
static void test_info_free_pages_is_atomic(void)
{
	const struct timespec wait = {0, 100 * 1000 * 1000};
	pthread_t t;

	pt_setup();
	fake_set_threads(true);
	info_done = 0;
	db_lock(SELF);
	/* Half of a release: quarantined, not yet taken from its owner. */
	ptm.nquarantine++;
	CHECK_EQ(pthread_create(&t, NULL, info_on_hart1, NULL), 0);
	nanosleep(&wait, NULL);
	CHECK_EQ(__atomic_load_n(&info_done, __ATOMIC_ACQUIRE), 0);
	ptm.nquarantine--;
	db_unlock();
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(info_value, PT_POOL_PAGES);
	fake_set_threads(false);
	CHECK_PTM_OK();
}

int main(void)
{
	RUN(test_info_free_pages_is_atomic);
	return test_finish();
}
